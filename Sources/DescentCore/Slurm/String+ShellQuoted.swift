extension String {
  /// The string as one POSIX shell word: single-quoted, each `'` written as `'\''`.
  ///
  /// ```
  /// it's a "path"   →   'it'\''s a "path"'
  /// ```
  /// Inside single quotes the shell expands nothing (`$`, backquotes, `\`, newlines stay literal), so any
  /// path survives a round trip through `sh`.
  public var shellQuoted: String {
    "'" + replacing("'", with: #"'\''"#) + "'"
  }
}
