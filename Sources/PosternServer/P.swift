import PosternCore
import Hummingbird
import Yams
public enum P4 {}
