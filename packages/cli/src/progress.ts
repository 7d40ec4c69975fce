import cliProgress from "cli-progress";

/** A progress bar on stderr with ETA; silent when `quiet` (e.g. under --json) or stderr is not a TTY and CI is set. */
export const createProgress = (label: string, total: number, opts: { quiet?: boolean } = {}) => {
  if (opts.quiet) return { update: (_n: number, _extra?: string) => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} | ETA {eta_formatted} {extra}`,
      stream: process.stderr,
      noTTYOutput: true,
      notTTYSchedule: 2000,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { extra: "" });
  return {
    update: (n: number, extra = "") => bar.update(n, { extra }),
    stop: () => bar.stop(),
  };
};
