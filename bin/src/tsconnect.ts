/**
 * tsconnect <topics|produce|consume|plugins> [options]: Kafka's console tools for the log a worker
 * uses. Exit codes: 0 done, 1 the command failed (the message says why), 2 wrong usage.
 */
import { ConfigError } from '../../runtime/api/errors.js';
import { LogError } from '../../runtime/log/log.js';
import { CommandError, UsageError, helpText, parseOptions } from './tsconnect/args.js';
import type { Subcommand } from './tsconnect/command.js';
import { consumeCommand } from './tsconnect/consume.js';
import { pluginsCommand } from './tsconnect/plugins.js';
import { produceCommand } from './tsconnect/produce.js';
import { topicsCommand } from './tsconnect/topics.js';

const COMMANDS: Subcommand[] = [topicsCommand, produceCommand, consumeCommand, pluginsCommand];

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `Usage: tsconnect <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun 'tsconnect <command> --help' for the options of a command.\n`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? process.stderr : process.stdout).write(overview());
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) throw new UsageError(`tsconnect: unknown command '${name}' (commands: ${COMMANDS.map((c) => c.name).join(', ')})`);
  current = `tsconnect ${name}`;
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(helpText(command.usage, command.summary, command.options));
    return 0;
  }
  return command.run(parseOptions(rest, command.options, `tsconnect ${name}`));
}

/** The command line a message names: `tsconnect topics`, or `tsconnect` before one is known. */
let current = 'tsconnect';

// A reader that went away (`consume ... | head`) ends the command, as SIGPIPE ends Kafka's tools.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err;
  process.exit(0);
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UsageError) {
      process.stderr.write(`${err.message}\n`);
      process.exitCode = 2;
      return;
    }
    const expected = err instanceof CommandError || err instanceof LogError || err instanceof ConfigError;
    process.stderr.write(`${current}: ${expected ? (err as Error).message : ((err as Error).stack ?? String(err))}\n`);
    process.exitCode = 1;
  },
);
