import Foundation
import ReturnRulesCLI

// The whole program: everything else is in ReturnRulesCLI, where tests can call it.
exit(CommandLineTool.run(Array(CommandLine.arguments.dropFirst()), io: .process()))
