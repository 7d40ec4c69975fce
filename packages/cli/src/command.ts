/** One `sdfkit` sub-command. `run` gets the raw arguments after the command name and returns an exit code. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  run(argv: string[]): Promise<number>;
}
