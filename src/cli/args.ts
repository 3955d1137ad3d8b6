// Argument parsing on node:util's parseArgs, with the CLI's own usage errors.
import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "./exit-codes.js";

type Options = Record<string, { type: "string" | "boolean"; multiple?: boolean }>;
/** The parsed values: a string for a string option (a list if `multiple`), a boolean for a flag; absent when not given. */
export type Values<T extends Options> = {
  [K in keyof T]?: T[K]["type"] extends "boolean" ? boolean : T[K]["multiple"] extends true ? string[] : string;
} & { help?: boolean };

export function parseCommandArgs<T extends Options>(command: string, args: string[], options: T): Values<T> {
  return parseCommandLine(command, args, options, false).values;
}

/** Like parseCommandArgs, for a command that also takes operands (`coverage FILE...`). */
export function parseCommandArgsAndOperands<T extends Options>(command: string, args: string[], options: T): { values: Values<T>; operands: string[] } {
  return parseCommandLine(command, args, options, true);
}

function parseCommandLine<T extends Options>(command: string, args: string[], options: T, allowPositionals: boolean): { values: Values<T>; operands: string[] } {
  // The key must never sit in shell history or a CI log: refuse the obvious flag with the way to do it.
  // (A command that declares --api-key itself, the fake, takes made-up keys it accepts: no secret.)
  if (!("api-key" in options) && args.some((a) => a === "--api-key" || a.startsWith("--api-key=") || a === "--key" || a.startsWith("--key="))) {
    throw new UsageError("the API key is never passed as a flag; put it in SPIRII_API_KEY (or name another variable with --api-key-env NAME)", command);
  }
  try {
    const config = { args, options: { ...options, help: { type: "boolean", short: "h" } }, strict: true, allowPositionals } satisfies ParseArgsConfig;
    const { values, positionals } = parseArgs(config);
    return { values: values as Values<T>, operands: positionals };
  } catch (error) {
    throw new UsageError((error as Error).message, command);
  }
}

/** A whole number option within bounds, e.g. `--port 0`..`65535`. */
export function wholeNumber(command: string, flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^-?\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `from ${min} to ${max}`;
    throw new UsageError(`${flag} must be a whole number ${range}, got ${JSON.stringify(text)}`, command);
  }
  return value;
}

export function required(command: string, flag: string, value: string | undefined): string {
  if (value === undefined || value === "") throw new UsageError(`${flag} is required`, command);
  return value;
}

/** A percentage option, 0 to 100, decimals allowed (`--fail-under 62.5`). */
export function percentage(command: string, flag: string, text: string): number {
  const value = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text.trim()) || value > 100) {
    throw new UsageError(`${flag} must be a percentage from 0 to 100, got ${JSON.stringify(text)}`, command);
  }
  return value;
}
