import { COMMANDS } from "./commands/index.js";
import { SdfkitError } from "@sdfkit/sdf-core";

const help = () =>
  [
    "sdfkit <command> [options]",
    "",
    "Commands:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(12)} ${c.summary}`),
    "",
    "Run 'sdfkit <command> --help' for a command's options.",
  ].join("\n");

/** Run the CLI with the given arguments (without `node` and the script). Returns the exit code. */
export const runCli = async (argv: string[]): Promise<number> => {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h") {
    console.log(help());
    return name ? 0 : 1;
  }
  const cmd = COMMANDS.find((c) => c.name === name);
  if (!cmd) {
    console.error(`sdfkit: unknown command '${name}'\n\n${help()}`);
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    console.log(`${cmd.usage}\n\n${cmd.summary}`);
    return 0;
  }
  try {
    return await cmd.run(rest);
  } catch (e) {
    if (SdfkitError.isInstance(e)) {
      console.error(`sdfkit ${name}: ${e.message}`);
      return 1;
    }
    throw e;
  }
};
