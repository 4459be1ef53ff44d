import Foundation

/// The `eventbridge`, `sqs` and `sns` destinations: the target, its region, the credential and the endpoint.
extension GatewayConfig {
    static let awsKeys: Set<String> = [
        "name", "type", "region", "endpoint", "credentials", "timeout", "retry", "circuit", "concurrency", "rateLimit",
        "body", "ordering",
    ]

    static func decodeAWSDestination(_ type: String, _ node: ConfigNode, environment: [String: String],
                                     _ problems: inout [ConfigProblem]) -> DestinationConfig? {
        let targetKeys: Set<String> = switch type {
        case "eventbridge": ["eventBusName", "source", "detailType"]
        case "sqs": ["queueUrl"]
        default: ["topicArn"]
        }
        node.rejectUnknownKeys(awsKeys.union(targetKeys), &problems)
        let name = node["name"].requiredString(&problems)
        let (target, regionInName) = decodeAWSTarget(type, node, &problems)
        let region = node["region"].string(&problems) ?? regionInName
            ?? environment["AWS_REGION"] ?? environment["AWS_DEFAULT_REGION"]
        if region == nil {
            problems.append(ConfigProblem(node["region"].path, "is required (or set AWS_REGION) for a \(type) destination"))
        }
        let endpoint = node["endpoint"].string(&problems)
        if let endpoint, !isHTTPURL(endpoint) {
            problems.append(ConfigProblem(node["endpoint"].path, "must be an absolute http:// or https:// URL, found \"\(endpoint)\""))
        }
        let credentials = decodeAWSCredentials(node["credentials"], environment: environment, &problems)
        // Without a region or credentials (a problem already), the destination still exists, so that the sources
        // naming it are not refused as well.
        guard let name, let target else { return nil }
        let settings = AWSSettings(target: target, region: region ?? "", endpoint: endpoint.map(trimmingSlash),
                                   credential: credentials?.credential ?? SigV4Credential(accessKeyID: "", secretAccessKey: ""),
                                   sessionToken: credentials?.sessionToken)
        var destination = DestinationConfig(name: name, url: settings.endpoint + "/", forwardHeaders: [])
        destination.aws = settings
        destination.timeout = node["timeout"].duration(&problems) ?? destination.timeout
        destination.retry = decodeRetry(node["retry"], &problems)
        destination.circuit = decodeCircuit(node["circuit"], &problems)
        destination.concurrency = node["concurrency"].integer(&problems, in: ConfigRange.concurrency) ?? destination.concurrency
        destination.rateLimit = decodeRateLimit(node["rateLimit"], &problems)
        destination.body = BodyTemplate.decode(node["body"], &problems)
        destination.ordering = decodeOrdering(node["ordering"], &problems)
        return destination
    }

    /// The target, and the region its queue URL or topic ARN names, if any.
    static func decodeAWSTarget(_ type: String, _ node: ConfigNode, _ problems: inout [ConfigProblem])
        -> (AWSSettings.Target?, String?) {
        switch type {
        case "eventbridge":
            var texts: [String?] = []
            for key in ["source", "detailType"] {
                let text = node[key].string(&problems)
                if let text { _ = BodyTemplate.pieces(text, at: node[key].path, &problems) }
                texts.append(text)
            }
            if let source = texts[0], source.hasPrefix("aws.") {
                problems.append(ConfigProblem(node["source"].path, "must not start with aws. (EventBridge keeps it for AWS services)"))
            }
            let bus = node["eventBusName"].string(&problems) ?? "default"
            return (.eventBridge(bus: bus, source: texts[0], detailType: texts[1]), nil)
        case "sqs":
            guard let url = node["queueUrl"].requiredString(&problems) else { return (nil, nil) }
            guard isHTTPURL(url), let host = URL(string: url)?.host else {
                problems.append(ConfigProblem(node["queueUrl"].path, "must be the queue's URL (https://sqs.<region>.amazonaws.com/<account>/<name>), found \"\(url)\""))
                return (nil, nil)
            }
            // sqs.<region>.amazonaws.com, or the legacy <region>.queue.amazonaws.com.
            let labels = host.split(separator: ".").map(String.init)
            let region = labels.count >= 4 && labels[0] == "sqs" ? labels[1]
                : labels.count >= 4 && labels[1] == "queue" ? labels[0] : nil
            return (.sqs(queueURL: url), region)
        default:
            guard let arn = node["topicArn"].requiredString(&problems) else { return (nil, nil) }
            let parts = arn.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 6, parts[0] == "arn", parts[2] == "sns", !parts[3].isEmpty, !parts[5].isEmpty else {
                problems.append(ConfigProblem(node["topicArn"].path, "must be a topic ARN (arn:aws:sns:<region>:<account>:<name>), found \"\(arn)\""))
                return (nil, nil)
            }
            return (.sns(topicARN: arn), parts[3])
        }
    }

    /// `credentials: {accessKeyId, secretAccessKey, sessionToken}`, else the standard `AWS_ACCESS_KEY_ID`,
    /// `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN` environment variables.
    static func decodeAWSCredentials(_ node: ConfigNode, environment: [String: String], _ problems: inout [ConfigProblem])
        -> (credential: SigV4Credential, sessionToken: String?)? {
        if node.isPresent {
            node.rejectUnknownKeys(["accessKeyId", "secretAccessKey", "sessionToken"], &problems)
            let id = node["accessKeyId"].requiredString(&problems)
            let secret = node["secretAccessKey"].requiredString(&problems)
            guard let id, let secret else { return nil }
            return (SigV4Credential(accessKeyID: id, secretAccessKey: secret), node["sessionToken"].string(&problems))
        }
        guard let id = environment["AWS_ACCESS_KEY_ID"], !id.isEmpty,
              let secret = environment["AWS_SECRET_ACCESS_KEY"], !secret.isEmpty else {
            problems.append(ConfigProblem(node.path, "are required: give accessKeyId and secretAccessKey, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"))
            return nil
        }
        let token = environment["AWS_SESSION_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        return (SigV4Credential(accessKeyID: id, secretAccessKey: secret), token)
    }
}
