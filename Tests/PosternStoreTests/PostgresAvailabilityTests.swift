import Foundation
import Testing

/// Whether the PostgreSQL half of the store contract runs: without `POSTERN_TEST_POSTGRES_URL` it is skipped with a
/// reason in the report, and `scripts/test` (which sets `POSTERN_REQUIRE_POSTGRES`) never lets it be skipped.
struct PostgresAvailabilityTests {
    @Test(.disabled(if: StoreKind.postgresURL != nil, "the PostgreSQL half of the store contract runs"))
    func thePostgreSQLHalfIsSkippedOnlyWhereNotRequired() {
        Issue.record(Comment(rawValue: "skipped: POSTERN_TEST_POSTGRES_URL is not set, so the store contract ran on SQLite only"),
                     severity: ProcessInfo.processInfo.environment["POSTERN_REQUIRE_POSTGRES"] == nil ? .warning : .error)
    }
}
