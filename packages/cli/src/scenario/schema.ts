/**
 * The scenario format: a case timeline as data. Each step says when it happens on the virtual
 * clock, who acts, which command with which payload, and optionally what it must produce.
 *
 * The payload of each step is checked by the schema of its command in `@misas/core`, so a bad
 * field is reported at its own path (`steps.3.data.form.person.birthDate`) before anything runs.
 */
import { z } from 'zod';
import { CaseCommand, eventDefinitions, FundPolicy, Id, Instant, Principal, type CaseCommandType } from '@misas/core';
import { CaseStep } from '@misas/projections';

/** The fund a scenario runs in when it names none. */
export const defaultScenarioFund = 'cpam-demo';

const Name = z.string().trim().min(1, 'must not be empty');

/** Every event type, for `expect.events`. */
export const ScenarioEventType = z.literal(eventDefinitions.map((definition) => definition.type));

/** The error codes a step may expect: refused by the access policy, by the lifecycle, or by the input schema. */
export const ExpectedErrorCode = z.enum(['access-denied', 'command-rejected', 'validation-failed']);
export type ExpectedErrorCode = z.infer<typeof ExpectedErrorCode>;

/** What a step must produce. Every part given must hold. */
export const StepExpectation = z
  .strictObject({
    events: z
      .array(ScenarioEventType)
      .min(1, 'list at least one event type, or leave `events` out')
      .optional()
      .describe('Event types that must be among the events of the step, in this order (others may come between).'),
    state: CaseStep.optional().describe("The case's step after this one, as `statusOf` spells it (`contact.reached`, `closed`…)."),
    error: z
      .strictObject({
        code: ExpectedErrorCode.optional().describe('The `code` of the error.'),
        rule: Name.optional().describe('The rule that refused it (`allowed-in-state`, `other-fund`…).'),
      })
      .optional()
      .describe('The command must fail, with this code and rule when given.'),
  })
  .refine((expect) => !(expect.events && expect.error), { message: 'a step cannot expect both events and an error', path: ['error'] });
export type StepExpectation = z.infer<typeof StepExpectation>;

const stepFields = {
  at: Instant.describe('When the step happens on the virtual clock (UTC, e.g. `2026-03-02T09:00:00Z`); not before the previous step.'),
  as: Name.describe('Who sends the command: a name from `actors`.'),
  case: Id.optional().describe("The case it is for; defaults to the scenario's `case`."),
  expect: StepExpectation.optional(),
};

/**
 * One step per command type, so that `data` is checked by that command's own payload schema. Its
 * type stays `unknown` here: the player builds the whole command and parses it with `CaseCommand`.
 */
function stepOf<const T extends CaseCommandType>(type: T, data: z.ZodType) {
  return z.strictObject({
    ...stepFields,
    command: z.literal(type).describe('The command to send.'),
    // Commands without a payload (`CompleteReview: {}`) may leave `data` out.
    data: data.prefault({}).describe("The command's payload, as in `@misas/core`'s `CaseCommand`."),
  });
}

const stepVariants = CaseCommand.options.map((command) => stepOf(command.shape.type.value, command.shape.data));
const [firstVariant, ...otherVariants] = stepVariants;
if (firstVariant === undefined) throw new Error('@misas/core defines no command');

/** One step of a scenario. */
export const ScenarioStep = z.discriminatedUnion('command', [firstVariant, ...otherVariants]);
export type ScenarioStep = z.infer<typeof ScenarioStep>;

/** The names of every command a step may send. */
export const scenarioCommandTypes: readonly CaseCommandType[] = stepVariants.map((variant) => variant.shape.command.value);

/** A fund's rules without its id (the key under `funds` is the id). `null` or `{}`: the default rules. */
const ScenarioFundPolicy = FundPolicy.omit({ fundId: true }).nullish();

/** The fund a referral opens its case in (the rest of its payload is checked by its own schema). */
const ReferralFund = z.looseObject({ fundId: z.string() });

/** A scenario file, after parsing. */
export const Scenario = z
  .strictObject({
    name: Name.describe('What the scenario shows, in a few words.'),
    description: z.string().optional(),
    start: Instant.describe("The virtual clock's start (UTC)."),
    seed: z.int('must be a whole number').min(0, 'must not be negative').default(1).describe("Seed of the generated ids, mixed with the scenario's content so that two files never draw the same ids: the same file gives the same events."),
    funds: z
      .record(Id, ScenarioFundPolicy)
      .default({ [defaultScenarioFund]: null })
      .describe(`The funds and their local rules (fund id → policy, \`{}\` for the defaults). Default: one fund \`${defaultScenarioFund}\` with the default rules.`),
    actors: z.record(Name, Principal).describe('The people who act, by the name the steps use: each an authenticated principal (role, id, fundId…).'),
    case: Id.optional().describe('The case the steps are for when they name none.'),
    steps: z.array(ScenarioStep).min(1, 'a scenario needs at least one step'),
    // The JSON Schema of the format, for editors: a JSON file has no comment to put it in.
    $schema: z
      .string()
      .optional()
      .describe('Where the JSON Schema of this format is, for editors: `./node_modules/@misas/cli/schema/scenario.schema.json` from a project that installs @misas/cli. Not read by misas.'),
  })
  .superRefine((scenario, context) => {
    const fundIds = Object.keys(scenario.funds);
    let previous = scenario.start;
    scenario.steps.forEach((step, index) => {
      const at = (field: string, message: string) => context.addIssue({ code: 'custom', path: ['steps', index, field], message });
      // ISO instants in UTC with the same shape compare as text; Date handles differing precision.
      if (Date.parse(step.at) < Date.parse(previous)) at('at', `must not be before the previous step (or the start), ${previous}`);
      else previous = step.at;
      // Own keys only: `toString` or `constructor` must not pass for an actor through the prototype.
      if (!Object.hasOwn(scenario.actors, step.as)) at('as', `unknown actor '${step.as}': declare it under \`actors\` (known: ${Object.keys(scenario.actors).join(', ') || 'none'})`);
      if (step.case === undefined && scenario.case === undefined) at('case', 'no case: name it in the step, or give the scenario a default `case`');
      const referral = step.command === 'ReceiveReferral' ? ReferralFund.safeParse(step.data) : undefined;
      if (referral?.success && !fundIds.includes(referral.data.fundId)) {
        context.addIssue({
          code: 'custom',
          path: ['steps', index, 'data', 'fundId'],
          message: `unknown fund '${referral.data.fundId}': declare it under \`funds\` (known: ${fundIds.join(', ')})`,
        });
      }
    });
  });
export type Scenario = z.infer<typeof Scenario>;
/** A scenario as written in a file (defaulted fields optional). */
export type ScenarioInput = z.input<typeof Scenario>;

/** The case a step is for. The schema guarantees one of the two is set. */
export function caseOfStep(scenario: Scenario, step: ScenarioStep): string {
  const caseId = step.case ?? scenario.case;
  if (caseId === undefined) throw new Error('scenario step without a case: it was not parsed with the Scenario schema');
  return caseId;
}
