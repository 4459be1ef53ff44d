/// The schemas Postern knows by name, for the payloads of the vendors it has presets for.
public enum BuiltInSchemas {
    /// Names a source can use in `schema:` instead of a file path.
    public static let byName: [String: String] = [
        "cognigy-flow-event": cognigyFlowEvent,
        "cognigy-fulfillment-request": cognigyFulfillmentRequest,
        "cognigy-endpoint-output": cognigyEndpointOutput,
    ]

    /// What the Cognigy Webhook Endpoint posts for a flow's output (docs.cognigy.com, Webhook Endpoint: `userId`,
    /// `sessionId`, `text`, `data`): the session id required, as the correlation id; other fields allowed, so an output
    /// Cognigy adds fields to is still stored.
    static let cognigyEndpointOutput = """
        {
          "type": "object",
          "required": ["sessionId"],
          "properties": {
            "userId": {"type": "string"},
            "sessionId": {"type": "string", "minLength": 1},
            "text": {"type": ["string", "null"]},
            "data": {"type": ["object", "null"]}
          }
        }
        """

    /// A Cognigy flow's webhook event (tutorial 001): `event_id` required, nothing unknown allowed.
    static let cognigyFlowEvent = """
        {
          "type": "object",
          "required": ["event_id"],
          "additionalProperties": false,
          "properties": {
            "event_id": {"type": "string", "minLength": 1},
            "flow_name": {"type": "string"},
            "channel": {"type": "string"},
            "timestamp": {"type": "string"},
            "session_id": {"type": "string"},
            "payload_data": {"type": "object"}
          }
        }
        """

    /// A Cognigy bot fulfillment request (tutorial 002): `requestId` and a non-empty `payload` of typed items.
    static let cognigyFulfillmentRequest = """
        {
          "type": "object",
          "required": ["requestId", "payload"],
          "properties": {
            "requestId": {"type": "string", "minLength": 1},
            "payload": {
              "type": "array",
              "minItems": 1,
              "items": {
                "type": "object",
                "required": ["type"],
                "properties": {"type": {"type": "string", "minLength": 1}}
              }
            },
            "userId": {"type": "string"},
            "sessionId": {"type": "string"},
            "language": {"type": "string"}
          }
        }
        """
}
