/// Genesys Cloud's regions: each region's domain gives its API host `api.<domain>` and login host `login.<domain>`.
public enum GenesysRegion {
    /// The 17 regions, by AWS region name and domain (as Genesys' own SDKs list them).
    public static let domains: [(region: String, domain: String)] = [
        ("us-east-1", "mypurecloud.com"), ("us-east-2", "use2.us-gov-pure.cloud"), ("us-west-2", "usw2.pure.cloud"),
        ("ca-central-1", "cac1.pure.cloud"), ("sa-east-1", "sae1.pure.cloud"), ("mx-central-1", "mxc1.pure.cloud"),
        ("eu-west-1", "mypurecloud.ie"), ("eu-west-2", "euw2.pure.cloud"), ("eu-central-1", "mypurecloud.de"),
        ("eu-central-2", "euc2.pure.cloud"), ("me-central-1", "mec1.pure.cloud"), ("ap-south-1", "aps1.pure.cloud"),
        ("ap-northeast-1", "mypurecloud.jp"), ("ap-northeast-2", "apne2.pure.cloud"), ("ap-northeast-3", "apne3.pure.cloud"),
        ("ap-southeast-1", "apse1.pure.cloud"), ("ap-southeast-2", "mypurecloud.com.au"),
    ]

    /// The domain for a region given as its domain (`mypurecloud.ie`) or AWS name (`eu-west-1`, `eu_west_1`).
    public static func domain(_ region: String) -> String? {
        let name = region.lowercased().replacingOccurrences(of: "_", with: "-")
        return domains.first { $0.domain == name || $0.region == name }?.domain
    }

    public static func apiBase(_ domain: String) -> String { "https://api.\(domain)" }

    public static func loginBase(_ domain: String) -> String { "https://login.\(domain)" }
}
