/**
 * For the examples' tests: runs an example's `main()` and returns what it printed.
 */
import { vi } from 'vitest';

/** Runs `main` with `console.log` captured, and returns the printed text, one entry per call. */
export async function printed(main: () => Promise<unknown>): Promise<string[]> {
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    await main();
    return log.mock.calls.map((args) => args.map(String).join(' '));
  } finally {
    log.mockRestore();
  }
}
