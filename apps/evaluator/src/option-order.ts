import type { Command } from 'commander';

/**
 * Report an unknown option before a missing required one (as msae-embed does): commander checks mandatory options
 * before unknown ones, so every command's `requiredOption`s are checked in a preAction hook instead, which commander
 * runs after its unknown-option check. Same message and exit code as commander's own check.
 */
export function unknownOptionsFirst(command: Command): void {
  const required = command.options.filter((o) => o.mandatory);
  for (const option of required) option.mandatory = false;
  if (required.length > 0) {
    command.hook('preAction', (hooked) => {
      if (hooked !== command) return;
      for (const option of required) {
        if (command.getOptionValue(option.attributeName()) === undefined) {
          command.error(`error: required option '${option.flags}' not specified`, { code: 'commander.missingMandatoryOptionValue' });
        }
      }
    });
  }
  for (const sub of command.commands) unknownOptionsFirst(sub);
}
