// The scripts' one "run as a command" step: when the file is the process's entry point (not
// imported by a test), run main with the arguments and exit with its code; a crash exits 2.
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

export function runIfMain(moduleUrl: string, main: (args: string[]) => Promise<number>): void {
  if (!process.argv[1] || resolve(process.argv[1]) !== fileURLToPath(moduleUrl)) return;
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 2;
    },
  );
}
