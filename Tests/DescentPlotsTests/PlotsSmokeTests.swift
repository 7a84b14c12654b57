import Testing
@testable import DescentPlots
