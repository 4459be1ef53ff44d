/// The admin API's OpenAPI 3.1 document, served at `/admin/openapi.json`: the versioned `/admin/v1` endpoints, their
/// parameters and answers. It is the contract: `tests/integration/test_admin_api.py` runs schemathesis against the
/// running binary with it, and fails on an answer the document does not describe.
enum AdminOpenAPI {
    static let document = #"""
    {
      "openapi": "3.1.0",
      "info": {
        "title": "Postern admin API",
        "version": "1",
        "description": "Stored events and their deliveries, sources and destinations, replay, and the live decision stream. Every /admin/v1 call needs Authorization: Bearer <admin token> when the configuration sets admin.token or admin.tokens; a viewer's token reads, an operator's also replays."
      },
      "servers": [{"url": "/"}],
      "security": [{"adminToken": []}],
      "paths": {
        "/admin/v1/events": {
          "get": {
            "operationId": "searchEvents",
            "summary": "Stored events, newest first, a page at a time",
            "parameters": [
              {"name": "source", "in": "query", "schema": {"$ref": "#/components/schemas/Text"}},
              {"name": "since", "in": "query", "description": "Received at or after: RFC 3339 or Unix seconds.", "schema": {"$ref": "#/components/schemas/Time"}},
              {"name": "until", "in": "query", "description": "Received before: RFC 3339 or Unix seconds.", "schema": {"$ref": "#/components/schemas/Time"}},
              {"name": "state", "in": "query", "schema": {"type": "string", "enum": ["stored", "pending", "delivered", "dead"]}},
              {"name": "correlationId", "in": "query", "schema": {"$ref": "#/components/schemas/Text"}},
              {"name": "idempotencyKey", "in": "query", "schema": {"$ref": "#/components/schemas/Text"}},
              {"name": "match", "in": "query", "style": "form", "explode": true,
               "description": "field (a JSON pointer into JSON bodies, or a form field: /From) equal to value, both given or neither; searches the last day unless since is given.",
               "schema": {"type": "object", "required": ["field", "value"], "additionalProperties": false,
                          "properties": {"field": {"type": "string", "pattern": "^/[^\"\\u0000-\\u001f\\u007f-\\u009f]*$"}, "value": {"type": "string", "pattern": "^[^\\u0000]*$"}}}},
              {"name": "order", "in": "query", "schema": {"type": "string", "enum": ["newest", "oldest"], "default": "newest"}},
              {"$ref": "#/components/parameters/Limit"},
              {"name": "cursor", "in": "query", "description": "The nextCursor of the previous page.", "schema": {"type": "string", "pattern": "^[0-9]{1,15}[.]evt_[0-9a-f]{32}$"}}
            ],
            "responses": {
              "200": {"description": "A page of events", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/EventPage"}}}},
              "400": {"$ref": "#/components/responses/Invalid"},
              "401": {"$ref": "#/components/responses/Unauthorized"}
            }
          }
        },
        "/admin/v1/events/{id}": {
          "get": {
            "operationId": "getEvent",
            "summary": "One event: kept headers, body, verification, deliveries and attempts",
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"$ref": "#/components/schemas/Text"}}],
            "responses": {
              "200": {"description": "The event", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/EventDocument"}}}},
              "400": {"$ref": "#/components/responses/Invalid"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "404": {"description": "No such event", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
            }
          }
        },
        "/admin/v1/events/{id}/replay": {
          "post": {
            "operationId": "replayEvent",
            "summary": "Queue one event's deliveries again (an operator's token)",
            "parameters": [
              {"name": "id", "in": "path", "required": true, "schema": {"$ref": "#/components/schemas/Text"}},
              {"$ref": "#/components/parameters/Destination"}, {"$ref": "#/components/parameters/OnlyDead"}
            ],
            "responses": {
              "200": {"$ref": "#/components/responses/Replayed"},
              "400": {"$ref": "#/components/responses/Invalid"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/Forbidden"},
              "404": {"description": "No such event, or no destination has that name", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
            }
          }
        },
        "/admin/v1/replays/preview": {
          "post": {
            "operationId": "previewReplay",
            "summary": "How many events a search would replay, and the token that confirms it (an operator's token)",
            "description": "Takes the search parameters of GET /admin/v1/events. The search is pinned at the preview's time: events received later are not in it.",
            "parameters": [
              {"name": "source", "in": "query", "schema": {"$ref": "#/components/schemas/Text"}},
              {"name": "since", "in": "query", "schema": {"$ref": "#/components/schemas/Time"}},
              {"name": "until", "in": "query", "schema": {"$ref": "#/components/schemas/Time"}},
              {"name": "state", "in": "query", "schema": {"type": "string", "enum": ["stored", "pending", "delivered", "dead"]}},
              {"name": "correlationId", "in": "query", "schema": {"$ref": "#/components/schemas/Text"}},
              {"name": "idempotencyKey", "in": "query", "schema": {"$ref": "#/components/schemas/Text"}},
              {"$ref": "#/components/parameters/Destination"}, {"$ref": "#/components/parameters/OnlyDead"}
            ],
            "responses": {
              "200": {"description": "The preview", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ReplayPreview"}}}},
              "400": {"$ref": "#/components/responses/Invalid"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/Forbidden"},
              "404": {"description": "No destination has that name", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
              "422": {"description": "The search matches more than 10000 events", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
            }
          }
        },
        "/admin/v1/replays": {
          "post": {
            "operationId": "replaySearch",
            "summary": "Replay what a preview matched, with its token (an operator's token)",
            "requestBody": {"required": true, "content": {"application/x-www-form-urlencoded": {"schema": {
              "type": "object", "required": ["token"], "properties": {"token": {"type": "string"}}}}}},
            "responses": {
              "200": {"$ref": "#/components/responses/Replayed"},
              "400": {"$ref": "#/components/responses/Invalid"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/Forbidden"},
              "409": {"description": "The search matches a different number of events now than at the preview", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
            }
          }
        },
        "/admin/v1/deliveries": {
          "get": {
            "operationId": "listDeliveries",
            "summary": "Deliveries, newest first, a page at a time",
            "parameters": [
              {"name": "state", "in": "query", "schema": {"type": "string", "enum": ["pending", "delivered", "dead"]}},
              {"$ref": "#/components/parameters/Destination"},
              {"name": "event", "in": "query", "schema": {"$ref": "#/components/schemas/Text"}},
              {"$ref": "#/components/parameters/Limit"}, {"$ref": "#/components/parameters/DeliveryCursor"}
            ],
            "responses": {
              "200": {"$ref": "#/components/responses/DeliveryPage"},
              "400": {"$ref": "#/components/responses/Invalid"},
              "401": {"$ref": "#/components/responses/Unauthorized"}
            }
          }
        },
        "/admin/v1/dead-letters": {
          "get": {
            "operationId": "listDeadLetters",
            "summary": "Dead-lettered deliveries, newest first, a page at a time",
            "parameters": [
              {"$ref": "#/components/parameters/Destination"},
              {"name": "event", "in": "query", "schema": {"$ref": "#/components/schemas/Text"}},
              {"$ref": "#/components/parameters/Limit"}, {"$ref": "#/components/parameters/DeliveryCursor"}
            ],
            "responses": {
              "200": {"$ref": "#/components/responses/DeliveryPage"},
              "400": {"$ref": "#/components/responses/Invalid"},
              "401": {"$ref": "#/components/responses/Unauthorized"}
            }
          }
        },
        "/admin/v1/sources": {
          "get": {
            "operationId": "listSources",
            "summary": "Each source's accepted and refused requests by reason, over the last hour and day",
            "responses": {
              "200": {"description": "The sources", "content": {"application/json": {"schema": {
                "type": "object", "required": ["sources"],
                "properties": {"sources": {"type": "array", "items": {"$ref": "#/components/schemas/SourceStatus"}}}}}}},
              "401": {"$ref": "#/components/responses/Unauthorized"}
            }
          }
        },
        "/admin/v1/destinations": {
          "get": {
            "operationId": "listDestinations",
            "summary": "Each destination's backlog, dead letters, circuit state and last error",
            "responses": {
              "200": {"description": "The destinations", "content": {"application/json": {"schema": {
                "type": "object", "required": ["destinations"],
                "properties": {"destinations": {"type": "array", "items": {"$ref": "#/components/schemas/DestinationStatus"}}}}}}},
              "401": {"$ref": "#/components/responses/Unauthorized"}
            }
          }
        },
        "/admin/v1/decisions": {
          "get": {
            "operationId": "streamDecisions",
            "summary": "Every decision as it is made, as Server-Sent Events",
            "description": "Each event is `id: <id>`, `event: decision` and `data: <Decision JSON>`. Reconnect with Last-Event-ID to get what was missed while it is kept; `event: gap` says some was not.",
            "parameters": [
              {"name": "source", "in": "query", "schema": {"$ref": "#/components/schemas/Text"}},
              {"name": "outcome", "in": "query", "schema": {"type": "string", "enum": ["accepted", "refused"]}},
              {"name": "Last-Event-ID", "in": "header", "schema": {"type": "string"}}
            ],
            "responses": {
              "200": {"description": "The stream; it ends only when the gateway stops", "content": {"text/event-stream": {"schema": {"type": "string"}}}},
              "400": {"$ref": "#/components/responses/Invalid"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "503": {"description": "Too many streams are open", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
            }
          }
        }
      },
      "components": {
        "securitySchemes": {"adminToken": {"type": "http", "scheme": "bearer"}},
        "parameters": {
          "Limit": {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 500, "default": 50}},
          "Destination": {"name": "destination", "in": "query", "description": "Only this destination.", "schema": {"$ref": "#/components/schemas/Text"}},
          "OnlyDead": {"name": "onlyDead", "in": "query", "description": "Only deliveries that are dead letters.", "schema": {"type": "string", "enum": ["true", "false"]}},
          "DeliveryCursor": {"name": "cursor", "in": "query", "description": "The nextCursor of the previous page.", "schema": {"type": "string", "pattern": "^[1-9][0-9]{0,17}$"}}
        },
        "responses": {
          "Replayed": {"description": "What was queued", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Replayed"}}}},
          "DeliveryPage": {"description": "A page of deliveries", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/DeliveryPage"}}}},
          "Forbidden": {"description": "A viewer's token (replay needs an operator's), or a confirmation token this gateway did not give or that expired", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
          "Invalid": {"description": "A parameter is wrong", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
          "Unauthorized": {"description": "No admin token, or a wrong one", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
        },
        "schemas": {
          "Text": {"type": "string", "description": "Any text but NUL, which no stored text can hold", "pattern": "^[^\\u0000]*$"},
          "Time": {
            "anyOf": [
              {"type": "string", "format": "date-time"},
              {"type": "string", "pattern": "^[0-9]{1,11}([.][0-9]{1,6})?$"}
            ]
          },
          "Error": {
            "type": "object", "required": ["error", "message"],
            "properties": {"error": {"type": "string"}, "message": {"type": "string"}}
          },
          "Event": {
            "type": "object", "required": ["id", "source", "idempotencyKey", "receivedAt"],
            "properties": {
              "id": {"type": "string"}, "source": {"type": "string"}, "idempotencyKey": {"type": "string"},
              "receivedAt": {"type": "string", "format": "date-time"}, "correlationId": {"type": "string"}
            }
          },
          "EventPage": {
            "type": "object", "required": ["events", "nextCursor", "total"],
            "properties": {
              "events": {"type": "array", "items": {"$ref": "#/components/schemas/Event"}},
              "nextCursor": {"type": ["string", "null"]},
              "total": {"type": ["integer", "null"], "description": "How many events the search matches: on a single page, or when it names a correlation id or an idempotency key without a body field; null where counting would read every event in the range"}
            }
          },
          "Verification": {
            "type": "object", "required": ["scheme"],
            "properties": {
              "scheme": {"type": "string"}, "secretIndex": {"type": "integer"}, "timestamp": {"type": "string", "format": "date-time"},
              "signatureDigest": {"type": "string"}, "messageID": {"type": "string"}
            }
          },
          "Delivery": {
            "type": "object", "required": ["event", "source", "destination", "state", "attempts"],
            "properties": {
              "event": {"type": "string"}, "source": {"type": "string"}, "destination": {"type": "string"},
              "state": {"type": "string", "enum": ["pending", "delivered", "dead"]}, "attempts": {"type": "integer"},
              "lastStatus": {"type": "integer"}, "lastError": {"type": "string"}, "nextAttemptAt": {"type": "string", "format": "date-time"},
              "orderingKey": {"type": "string"}, "holdsKey": {"type": "boolean"}
            }
          },
          "Attempt": {
            "type": "object", "required": ["destination", "time", "latencyMs"],
            "properties": {
              "destination": {"type": "string"}, "time": {"type": "string", "format": "date-time"}, "status": {"type": "integer"},
              "latencyMs": {"type": "number"}, "error": {"type": "string"}
            }
          },
          "Replayed": {
            "type": "object", "required": ["status", "events", "queued"],
            "properties": {"status": {"const": "replayed"}, "events": {"type": "integer"}, "queued": {"type": "integer"}}
          },
          "ReplayPreview": {
            "type": "object", "required": ["events", "destination", "onlyDead", "token", "expiresAt"],
            "properties": {
              "events": {"type": "integer"}, "destination": {"type": ["string", "null"]}, "onlyDead": {"type": "boolean"},
              "token": {"type": "string"}, "expiresAt": {"type": "string", "format": "date-time"}
            }
          },
          "DeliveryPage": {
            "type": "object", "required": ["deliveries", "nextCursor"],
            "properties": {
              "deliveries": {"type": "array", "items": {"$ref": "#/components/schemas/Delivery"}},
              "nextCursor": {"type": ["string", "null"]}
            }
          },
          "Counts": {
            "type": "object", "required": ["accepted", "refused", "refusedByReason"],
            "properties": {
              "accepted": {"type": "integer"}, "refused": {"type": "integer"},
              "refusedByReason": {"type": "object", "additionalProperties": {"type": "integer"}}
            }
          },
          "SourceStatus": {
            "type": "object", "required": ["name", "path", "scheme", "destinations", "lastHour", "lastDay", "perMinute"],
            "properties": {
              "name": {"type": "string"}, "path": {"type": "string"}, "scheme": {"type": "string"},
              "destinations": {"type": "array", "items": {"type": "string"}},
              "lastHour": {"$ref": "#/components/schemas/Counts"}, "lastDay": {"$ref": "#/components/schemas/Counts"},
              "perMinute": {"type": "array", "description": "[accepted, refused] in each of the last 60 minutes, oldest first",
                            "items": {"type": "array", "items": {"type": "integer"}, "minItems": 2, "maxItems": 2}}
            }
          },
          "DestinationStatus": {
            "type": "object", "required": ["name", "type", "pending", "dead", "circuit", "lastAttemptAt", "lastDeliveredAt", "lastError"],
            "properties": {
              "name": {"type": "string"}, "type": {"type": "string", "enum": ["http", "genesys"]},
              "pending": {"type": "integer"}, "dead": {"type": "integer"},
              "circuit": {"type": "string", "enum": ["closed", "open", "half_open"]},
              "lastAttemptAt": {"type": ["string", "null"], "format": "date-time"},
              "lastDeliveredAt": {"type": ["string", "null"], "format": "date-time"},
              "lastError": {"oneOf": [{"type": "null"}, {
                "type": "object", "required": ["at", "status", "error"],
                "properties": {"at": {"type": "string", "format": "date-time"}, "status": {"type": ["integer", "null"]}, "error": {"type": "string"}}}]}
            }
          },
          "EventDocument": {
            "type": "object", "required": ["event", "headers", "deliveries", "attempts"],
            "properties": {
              "event": {"$ref": "#/components/schemas/Event"},
              "caller": {"type": "string"}, "clientSubject": {"type": "string"},
              "headers": {"type": "array", "items": {"type": "array", "items": {"type": "string"}, "minItems": 2, "maxItems": 2}},
              "body": {"type": "string", "description": "The body, when it is UTF-8 text"},
              "bodyBase64": {"type": "string", "description": "The body in base64, when it is not UTF-8"},
              "verification": {"$ref": "#/components/schemas/Verification"},
              "deliveries": {"type": "array", "items": {"$ref": "#/components/schemas/Delivery"}},
              "attempts": {"type": "array", "items": {"$ref": "#/components/schemas/Attempt"}}
            }
          }
        }
      }
    }
    """#
}
