import { Option } from 'commander';
import { UsageError } from '@msae/cli-kit';
import { architecturesWithOption } from '@msae/core/internal';
import { helpText, parseOptionText, TRAINING_OPTIONS, valueProblem, type OptionSpec } from '@msae/training';

/** The commander option of a schema entry: flag, help with the registry-derived default, a parser checking kind and range. */
function flagOption(spec: OptionSpec): Option {
  const where = spec.requires ? ` [${architecturesWithOption(spec.requires).join(', ')}${spec.refusedBy ? `; not on ${spec.refusedBy.join(', ')}` : ''}]` : '';
  const option = new Option(spec.value ? `${spec.flag} ${spec.value}` : spec.flag, `${helpText(spec)}${where}`);
  if (spec.kind === 'choice') return option.choices(spec.choices as string[]);
  if (spec.kind === 'boolean') return option;
  return option.argParser((text: string) => {
    const value = parseOptionText(spec, text);
    const problem = valueProblem(spec, value, `'${text}'`);
    if (problem) throw new UsageError(`${spec.flag} ${problem}`);
    return value;
  });
}

/** Every training option of @msae/training's schema as a command-line flag, in schema order. */
export function trainingFlags(): Option[] {
  return TRAINING_OPTIONS.map(flagOption);
}
