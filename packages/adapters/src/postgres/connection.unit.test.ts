import { describe, expect, it } from 'vitest';
import { MisasError } from '@misas/core';
import { resolveConnection } from './connection.ts';
import { preparedSessionSettings } from './statements.ts';

const url = 'postgres://misas@db:5432/misas';

describe('the prepare switch of a PostgreSQL connection', () => {
  it('given nothing, then statements are prepared and the sessions start with the plan settings', () => {
    const resolved = resolveConnection({ connectionString: url });
    expect(resolved.prepare).toBe(true);
    expect(resolved.startupOptions).toContain(preparedSessionSettings);
  });

  it('given ?prepare=false, then nothing is prepared, no plan setting is sent, and the parameter does not reach the driver', () => {
    const resolved = resolveConnection({ connectionString: `${url}?schema=cpam_22&prepare=false&sslmode=disable` });
    expect(resolved.prepare).toBe(false);
    expect(resolved.startupOptions).toBe('-c search_path=cpam_22');
    expect(resolved.connectionString).toBe(`${url}?sslmode=disable`);
  });

  it('given the option, then it decides; the URL may say the same', () => {
    expect(resolveConnection({ connectionString: url, prepare: false }).prepare).toBe(false);
    expect(resolveConnection({ connectionString: `${url}?prepare=true`, prepare: true }).prepare).toBe(true);
  });

  it.each(['0', 'no', 'False', '', 'yes'])('given ?prepare=%s, then it is refused', (value) => {
    expect(() => resolveConnection({ connectionString: `${url}?prepare=${value}` })).toThrow(MisasError);
    expect(() => resolveConnection({ connectionString: `${url}?prepare=${value}` })).toThrow(/prepare must be true or false/);
  });

  it('given the option and the URL disagreeing, then it is refused', () => {
    expect(() => resolveConnection({ connectionString: `${url}?prepare=false`, prepare: true })).toThrow(/give one/);
  });
});
