extension Int {
    /// `value` rounded toward zero and held to Int's range, NaN as 0: a conversion that cannot trap, for every
    /// number a request, a backend's answer or a configuration carries (`Int(_: Double)` traps outside the range).
    public init(saturating value: Double) {
        if value.isNaN {
            self = 0
        } else if value >= Double(Int.max) {
            self = .max
        } else if value <= Double(Int.min) {
            self = .min
        } else {
            self = Int(value)
        }
    }
}
