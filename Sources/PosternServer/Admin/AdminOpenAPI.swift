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
        "description": "Stored events and their deliveries. Every /admin/v1 call needs Authorization: Bearer <admin token> when the configuration sets admin.token."
      },
      "servers": [{"url": "/"}],
      "security": [{"adminToken": []}],
      "paths": {
        "/admin/v1/events": {
          "get": {
            "operationId": "searchEvents",
            "summary": "Stored events, newest first, a page at a time",
            "parameters": [
              {"name": "source", "in": "query", "schema": {"type": "string"}},
              {"name": "since", "in": "query", "description": "Received at or after: RFC 3339 or Unix seconds.", "schema": {"$ref": "#/components/schemas/Time"}},
              {"name": "until", "in": "query", "description": "Received before: RFC 3339 or Unix seconds.", "schema": {"$ref": "#/components/schemas/Time"}},
              {"name": "state", "in": "query", "schema": {"type": "string", "enum": ["stored", "pending", "delivered", "dead"]}},
              {"name": "correlationId", "in": "query", "schema": {"type": "string"}},
              {"name": "idempotencyKey", "in": "query", "schema": {"type": "string"}},
              {"name": "match", "in": "query", "style": "form", "explode": true,
               "description": "field (a JSON pointer into JSON bodies) equal to value, both given or neither; searches the last day unless since is given.",
               "schema": {"type": "object", "required": ["field", "value"], "additionalProperties": false,
                          "properties": {"field": {"type": "string", "pattern": "^/"}, "value": {"type": "string"}}}},
              {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 500, "default": 50}},
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
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
            "responses": {
              "200": {"description": "The event", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/EventDocument"}}}},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "404": {"description": "No such event", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
            }
          }
        }
      },
      "components": {
        "securitySchemes": {"adminToken": {"type": "http", "scheme": "bearer"}},
        "responses": {
          "Invalid": {"description": "A parameter is wrong", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
          "Unauthorized": {"description": "No admin token, or a wrong one", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
        },
        "schemas": {
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
            "type": "object", "required": ["events", "nextCursor"],
            "properties": {
              "events": {"type": "array", "items": {"$ref": "#/components/schemas/Event"}},
              "nextCursor": {"type": ["string", "null"]}
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
              "lastStatus": {"type": "integer"}, "lastError": {"type": "string"}, "nextAttemptAt": {"type": "string", "format": "date-time"}
            }
          },
          "Attempt": {
            "type": "object", "required": ["destination", "time", "latencyMs"],
            "properties": {
              "destination": {"type": "string"}, "time": {"type": "string", "format": "date-time"}, "status": {"type": "integer"},
              "latencyMs": {"type": "number"}, "error": {"type": "string"}
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
