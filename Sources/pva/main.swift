import Foundation

let status = CommandLineTool.main(Array(CommandLine.arguments.dropFirst()))
if ProcessInfo.processInfo.environment["PVA_REPORT_PEAK_MEMORY"] != nil, let kib = PeakMemory.kibibytes {
    FileHandle.standardError.write(Data("pva: peak memory \(kib) KiB\n".utf8))
}
exit(status)
