extension Character {
    /// `0` to `9` only: `isNumber` alone also takes other scripts' digits and fractions such as `½`.
    public var isASCIIDigitCharacter: Bool { isASCII && isNumber }
}
