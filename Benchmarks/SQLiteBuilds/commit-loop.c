/* The store's commit loop in C: batches of 64 events (a 1 KiB body, headers, verification) and an outbox row each,
 * in one BEGIN IMMEDIATE ... COMMIT per batch, with the statements prepared once, as SQLiteWriter runs them. Built
 * against the system's SQLite and against sqlite-nio's bundled build by ./measure, it prints the CPU time per event
 * of each: the measurement behind the CSQLite target in Package.swift. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#ifdef NIO
#include "sqlite_nio_sqlite3.h"
#define P(x) sqlite_nio_##x
#else
#include <sqlite3.h>
#define P(x) x
#endif
static double cpu(void){struct rusage r;getrusage(RUSAGE_SELF,&r);return r.ru_utime.tv_sec+r.ru_utime.tv_usec/1e6+r.ru_stime.tv_sec+r.ru_stime.tv_usec/1e6;}
int main(int argc,char**argv){
  const char*path=argv[1]; int sync=atoi(argv[2]);
  unlink(path);
#ifdef NOMEMSTAT
  sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
#endif
  sqlite3*db; P(sqlite3_open_v2)(path,&db,SQLITE_OPEN_READWRITE|SQLITE_OPEN_CREATE|SQLITE_OPEN_NOMUTEX,0);
  char pragma[200]; sprintf(pragma,"PRAGMA journal_mode=WAL; PRAGMA synchronous=%d; PRAGMA wal_autocheckpoint=4000;",sync);
  P(sqlite3_exec)(db,pragma,0,0,0);
  P(sqlite3_exec)(db,"CREATE TABLE events (id TEXT PRIMARY KEY, source TEXT NOT NULL, idempotency_key TEXT NOT NULL, correlation_id TEXT, received_at INTEGER NOT NULL, headers TEXT NOT NULL, body BLOB NOT NULL, verification TEXT NOT NULL, caller TEXT, client_subject TEXT, UNIQUE(source, idempotency_key)) STRICT; CREATE TABLE deliveries (id INTEGER PRIMARY KEY, event_id TEXT NOT NULL, destination TEXT NOT NULL, state TEXT NOT NULL, next_attempt_at INTEGER NOT NULL, enqueued_at INTEGER NOT NULL) STRICT; CREATE INDEX d_due ON deliveries(state, next_attempt_at);",0,0,0);
  sqlite3_stmt*ins,*del;
  P(sqlite3_prepare_v3)(db,"INSERT INTO events VALUES (?,?,?,?,?,?,?,?,?,?) ON CONFLICT (source, idempotency_key) DO NOTHING",-1,SQLITE_PREPARE_PERSISTENT,&ins,0);
  P(sqlite3_prepare_v3)(db,"INSERT INTO deliveries (event_id, destination, state, next_attempt_at, enqueued_at) VALUES (?,?,'pending',?,?)",-1,SQLITE_PREPARE_PERSISTENT,&del,0);
  char body[1024]; memset(body,'x',sizeof body);
  const char*headers="{\"content-type\":\"application/json\",\"x-cognigy-signature\":\"sha256=abc\"}";
  int batches=atoi(argv[3]), per=64; long n=0;
  double t0=cpu();
  for(int b=0;b<batches;b++){
    P(sqlite3_exec)(db,"BEGIN IMMEDIATE",0,0,0);
    for(int i=0;i<per;i++,n++){
      char id[40],key[40]; sprintf(id,"evt_%020ld",n*7919%1000000007); sprintf(key,"key-%ld",n);
      P(sqlite3_bind_text64)(ins,1,id,-1<0?strlen(id):0,SQLITE_TRANSIENT,SQLITE_UTF8);
      P(sqlite3_bind_text64)(ins,2,"cognigy",7,SQLITE_TRANSIENT,SQLITE_UTF8);
      P(sqlite3_bind_text64)(ins,3,key,strlen(key),SQLITE_TRANSIENT,SQLITE_UTF8);
      P(sqlite3_bind_null)(ins,4);
      P(sqlite3_bind_int64)(ins,5,1700000000000+n);
      P(sqlite3_bind_text64)(ins,6,headers,strlen(headers),SQLITE_TRANSIENT,SQLITE_UTF8);
      P(sqlite3_bind_blob64)(ins,7,body,sizeof body,SQLITE_TRANSIENT);
      P(sqlite3_bind_text64)(ins,8,"{\"preset\":\"x\"}",14,SQLITE_TRANSIENT,SQLITE_UTF8);
      P(sqlite3_bind_text64)(ins,9,"127.0.0.1",9,SQLITE_TRANSIENT,SQLITE_UTF8);
      P(sqlite3_bind_null)(ins,10);
      if(P(sqlite3_step)(ins)!=SQLITE_DONE){printf("err %s\n",P(sqlite3_errmsg)(db));return 1;}
      P(sqlite3_reset)(ins); P(sqlite3_clear_bindings)(ins);
      P(sqlite3_bind_text64)(del,1,id,strlen(id),SQLITE_TRANSIENT,SQLITE_UTF8);
      P(sqlite3_bind_text64)(del,2,"backend",7,SQLITE_TRANSIENT,SQLITE_UTF8);
      P(sqlite3_bind_int64)(del,3,1700000000000+n); P(sqlite3_bind_int64)(del,4,1700000000000+n);
      P(sqlite3_step)(del); P(sqlite3_reset)(del); P(sqlite3_clear_bindings)(del);
    }
    P(sqlite3_exec)(db,"COMMIT",0,0,0);
  }
  double t=cpu()-t0;
  printf("%s sync=%d: %.2f us CPU per event (%ld events)\n",
#ifdef NIO
  "sqlite-nio 3.53",
#else
  "debian 3.40.1",
#endif
  sync,t/n*1e6,n);
  return 0;
}
