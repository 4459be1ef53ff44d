/// What each kind of target's incoming webhook is sent, as a destination `body:` template over the alert document
/// (`/title`, `/text` and the rest of `AlertNotice`): Slack's `{"text"}` and a Teams message with one Adaptive Card.
public enum AlertBodies {
    public static func template(_ kind: AlertTarget.Kind) -> BodyTemplate? {
        let value: ConfigValue
        switch kind {
        case .webhook:
            return nil
        case .slack:
            // https://docs.slack.dev/tools/java-slack-sdk/guides/incoming-webhooks: a JSON payload with a `text` field.
            value = .map(["text": .string("{{/text}}")])
        case .teams:
            // https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/add-incoming-webhook:
            // a message whose attachment is an Adaptive Card, which Teams' incoming webhooks and Workflows both take.
            value = .map([
                "type": .string("message"),
                "attachments": .list([.map([
                    "contentType": .string("application/vnd.microsoft.card.adaptive"),
                    "content": .map([
                        "$schema": .string("http://adaptivecards.io/schemas/adaptive-card.json"),
                        "type": .string("AdaptiveCard"),
                        "version": .string("1.4"),
                        "body": .list([
                            .map(["type": .string("TextBlock"), "size": .string("Medium"), "weight": .string("Bolder"),
                                  "text": .string("{{/title}}"), "wrap": .bool(true)]),
                            .map(["type": .string("TextBlock"), "text": .string("{{/text}}"), "wrap": .bool(true)]),
                        ]),
                    ]),
                ])]),
            ])
        }
        var problems: [ConfigProblem] = []
        return BodyTemplate.decode(ConfigNode(value, path: "alerts"), &problems)
    }
}
