/** What every tsconnect subcommand is to the dispatcher in ../tsconnect.ts. */
import type { OptionSpec, Parsed } from './args.js';

export interface Subcommand {
  name: string;
  /** One line for `tsconnect --help`. */
  summary: string;
  /** The usage line of `tsconnect <name> --help`. */
  usage: string;
  options: OptionSpec[];
  /** Resolves with the exit code. Throws UsageError (exit 2) or CommandError/LogError (exit 1). */
  run(parsed: Parsed): Promise<number>;
}

/** Writes to stdout and waits for it to drain, so a piped reader gets everything before exit. */
export function out(text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    process.stdout.write(text, (err) => (err ? reject(err) : resolve()));
  });
}
