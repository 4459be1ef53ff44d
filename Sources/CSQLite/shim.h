// SQLite as the system installs it (Debian's libsqlite3-dev), for PosternStore's one connection type.
#include <sqlite3.h>
