// What `npm run backup` and `npm run restore` share: one file argument and --force, the database
// at DATABASE_PATH, refusals in French (exit 1), bad arguments with the usage line (exit 2).
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.ts';
import { BackupError } from '../db/backup.ts';

export function refuse(message: string): never {
  console.error(message);
  process.exit(1);
}

/** The backup file named on the command line, --force, and the app's database. */
export function backupCommand(usageLine: string): { file: string; force: boolean; databasePath: string } {
  const usage = (message: string): never => {
    console.error(`${message}\n${usageLine}`);
    process.exit(2);
  };
  let parsed: { values: { force?: boolean; help?: boolean }; positionals: string[] };
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: { force: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    return usage(error instanceof Error ? error.message : String(error));
  }
  if (parsed.values.help) {
    console.log(usageLine);
    process.exit(0);
  }
  if (parsed.positionals.length !== 1) usage('Un fichier de sauvegarde, et un seul, est attendu.');
  try {
    return {
      file: parsed.positionals[0]!,
      force: parsed.values.force ?? false,
      databasePath: loadConfig().databasePath,
    };
  } catch (error) {
    if (error instanceof ConfigError) refuse(error.message);
    throw error;
  }
}

/** Runs the step; a BackupError is a refusal, said in French. */
export async function orRefuse<T>(step: () => T | Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (error instanceof BackupError) refuse(error.message);
    throw error;
  }
}
