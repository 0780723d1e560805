/**
 * commander, in Vietnamese: `ViCommand` is a `Command` whose own messages — argument errors
 * ("thiếu tùy chọn bắt buộc --year <YYYY>", not "error: required option … not specified"), help
 * headings, the usage line, the help option and help command, "(mặc định: …)" — come from the
 * catalogue (vi.cli.args). Subcommands made with `.command()` are ViCommands too (commander's
 * `createCommand`). The errors are the methods commander calls for them (missingArgument,
 * unknownOption, …: not in its typings, stable since v8; test/cli-language.test.ts spawns the
 * compiled CLI and fails on any English word should one be renamed).
 */
import { Command, Help, type Option, type Argument } from 'commander';
import { vi } from '../i18n/vi.js';

const W = vi.cli.args;

const inUsage = (s: string): string => s.replace(/\[options\]/g, W.optionsWord).replace(/\[command\]/g, W.commandWord);

const shown = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

class ViHelp extends Help {
  override styleTitle(title: string): string {
    return super.styleTitle(W.titles[title] ?? title);
  }

  override styleUsage(str: string): string {
    return inUsage(super.styleUsage(str));
  }

  override subcommandTerm(cmd: Command): string {
    return inUsage(super.subcommandTerm(cmd));
  }

  override optionDescription(option: Option): string {
    const extra: string[] = [];
    if (option.argChoices) extra.push(W.choices(option.argChoices.join(', ')));
    if (option.defaultValue !== undefined && (option.required || option.optional)) extra.push(W.defaultValue(option.defaultValueDescription ?? shown(option.defaultValue)));
    return [option.description, extra.length ? `(${extra.join(', ')})` : ''].filter(Boolean).join(' ');
  }

  override argumentDescription(argument: Argument): string {
    const extra: string[] = [];
    if (argument.argChoices) extra.push(W.choices(argument.argChoices.join(', ')));
    if (argument.defaultValue !== undefined) extra.push(W.defaultValue(argument.defaultValueDescription ?? shown(argument.defaultValue)));
    return [argument.description, extra.length ? `(${extra.join(', ')})` : ''].filter(Boolean).join(' ');
  }
}

export class ViCommand extends Command {
  override createCommand(name?: string): ViCommand {
    return new ViCommand(name);
  }

  override createHelp(): Help {
    return Object.assign(new ViHelp(), this.configureHelp());
  }

  // commander creates its help option and help command lazily with English descriptions: these
  // give them Vietnamese ones (flags and the help command's name stay, so `-h`, `--help` and
  // `dondoc help enroll` work as everywhere).
  override helpOption(flags?: string | boolean, description?: string): this {
    return typeof flags === 'boolean' ? super.helpOption(flags) : super.helpOption(flags ?? '-h, --help', description ?? W.helpOption);
  }

  override helpCommand(nameAndArgs: string, description?: string): this;
  override helpCommand(enable: boolean): this;
  override helpCommand(nameAndArgs?: string | boolean, description?: string): this {
    if (typeof nameAndArgs === 'boolean') return super.helpCommand(nameAndArgs);
    return super.helpCommand(nameAndArgs ?? `help ${W.commandWord}`, description ?? W.helpCommand);
  }

  /** This command and its parents, innermost first. */
  private lineage(): Command[] {
    const all: Command[] = [this];
    for (let c = this.parent; c; c = c.parent) all.push(c);
    return all;
  }

  /** `dondoc reminders plan`: the command as typed, for the error line. */
  private path(): string {
    return this.lineage()
      .map((c) => c.name())
      .reverse()
      .join(' ');
  }

  private fail(problem: string, code: string): never {
    return this.error(W.error(this.path(), problem), { code, exitCode: 2 });
  }

  // The argument errors commander raises, in the catalogue's words.
  missingArgument(name: string): never {
    return this.fail(W.missingArgument(name), 'commander.missingArgument');
  }

  optionMissingArgument(option: Option): never {
    return this.fail(W.optionMissingValue(option.flags), 'commander.optionMissingArgument');
  }

  missingMandatoryOptionValue(option: Option): never {
    return this.fail(W.missingOption(option.flags), 'commander.missingMandatoryOptionValue');
  }

  unknownOption(flag: string): void {
    if ((this as unknown as { _allowUnknownOption?: boolean })._allowUnknownOption) return;
    const known = this.lineage().flatMap((c) => [...c.options.filter((o) => !o.hidden && o.long).map((o) => o.long as string), '--help']);
    this.fail(W.unknownOption(flag, [...new Set(known)]), 'commander.unknownOption');
  }

  _excessArguments(received: string[]): void {
    if ((this as unknown as { _allowExcessArguments?: boolean })._allowExcessArguments) return;
    this.fail(W.tooManyArguments(this.registeredArguments.length, received.length), 'commander.excessArguments');
  }

  unknownCommand(): never {
    return this.fail(
      W.unknownCommand(
        this.args[0],
        this.commands.map((c) => c.name()),
      ),
      'commander.unknownCommand',
    );
  }
}
