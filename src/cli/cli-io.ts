/** Where the CLI writes; tests and embedders can capture both streams and pass their own environment. */
export interface CliIO {
  stdout: (text: string) => void;
  stderr: NodeJS.WriteStream;
  /** Environment read for GITHUB_ACTIONS and GITHUB_STEP_SUMMARY; default `process.env`. */
  env?: Record<string, string | undefined>;
}
