import PosternServer
import ArgumentParser
@main struct Postern: ParsableCommand { func run() {} }
