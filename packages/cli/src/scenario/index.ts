/**
 * Scenario files: a case timeline as data (JSON or YAML), its schema, and the player.
 * @packageDocumentation
 */
export * from './schema.ts';
export * from './parse.ts';
export * from './result.ts';
export * from './expectations.ts';
export * from './play.ts';
export * from './json-schema.ts';
export * from './format-timeline.ts';
