import Foundation
import KnowledgeGraphCLI

exit(CLI.run(Array(CommandLine.arguments.dropFirst())))
