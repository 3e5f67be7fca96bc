/**
 * Regular expressions from Ingress objects (regex paths, `canary-by-header-pattern`), matched with RE2 semantics
 * (re2js): time linear in the input whatever the pattern, so no Ingress can make a request stall the process
 * (`/r/(a+)+$` backtracks exponentially in a backtracking engine). RE2 refuses what it cannot match in linear
 * time — backreferences (`\1`) and lookarounds (`(?=`, `(?!`, `(?<=`, `(?<!`) — and such a pattern is refused.
 */
import { RE2JS } from 're2js';

/** Inputs longer than this never match (nginx refuses request lines over 8 KiB with 414 before matching). */
export const MAX_REGEX_INPUT = 8192;

/** A compiled pattern; `exec` returns the whole match and the groups (undefined when a group took no part), or null. */
export interface SafeRegex {
  readonly source: string;
  exec(input: string): readonly (string | undefined)[] | null;
  test(input: string): boolean;
}

export type CompiledRegex = { ok: true; regex: SafeRegex } | { ok: false; message: string };

/** Compiles `pattern` (case-insensitive when asked, as nginx's `~*`); the message says why RE2 refused it. */
export function compileRegex(pattern: string, o: { caseInsensitive?: boolean } = {}): CompiledRegex {
  let re: RE2JS;
  try {
    re = RE2JS.compile(pattern, o.caseInsensitive === true ? RE2JS.CASE_INSENSITIVE : 0);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return { ok: false, message: `${why} (RE2 syntax: backreferences and lookarounds are not supported)` };
  }
  const regex: SafeRegex = {
    source: pattern,
    exec(input) {
      if (input.length > MAX_REGEX_INPUT) return null;
      const m = re.matcher(input);
      if (!m.find()) return null;
      const out: (string | undefined)[] = [];
      for (let g = 0; g <= m.groupCount(); g++) out.push(m.group(g) ?? undefined);
      return out;
    },
    test(input) {
      return input.length <= MAX_REGEX_INPUT && re.matcher(input).find();
    },
  };
  return { ok: true, regex: Object.freeze(regex) };
}
