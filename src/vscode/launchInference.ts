// What F5 fills into a launch configuration from the assembled source: the environment and the
// bits the assembler inferred, unless the user set them — and an `org` always means the bare
// environment (a flat image placed at that address), whatever the source's ORG suggests.
// Pure: no 'vscode' import, so it is unit-tested directly.

/** The launch attributes this inference reads and fills. */
export interface InferableLaunch {
  environment?: unknown;
  bits?: unknown;
  org?: unknown;
  [attribute: string]: unknown;
}

/** Fill `environment` and `bits` of `config` in place from what the assembler inferred. */
export function fillInferredLaunch(config: InferableLaunch, inferred: { environment?: string; bits?: number } | undefined): void {
  if (config.environment === undefined && config.org !== undefined) config.environment = 'bare';
  if (inferred?.environment && config.environment === undefined) config.environment = inferred.environment;
  if (inferred?.bits && config.bits === undefined) config.bits = inferred.bits;
}
