/** Where a profile's daemon keeps its pidfile, socket and log: next to the profile's store. */
import { dirname, join } from "node:path";
import { profilePath } from "../store/open-profile.js";

/** The files of one profile's daemon. */
export interface DaemonPaths {
  readonly profile: string;
  readonly folder: string;
  readonly pidfile: string;
  readonly socket: string;
  readonly log: string;
}

/** The daemon files of a profile. */
export function daemonPaths(profile = "default"): DaemonPaths {
  const folder = dirname(profilePath(profile));
  return {
    profile,
    folder,
    pidfile: join(folder, "daemon.pid"),
    socket: join(folder, "daemon.sock"),
    log: join(folder, "daemon.log"),
  };
}
