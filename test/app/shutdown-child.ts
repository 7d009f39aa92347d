/**
 * A process with Rewind's logger and shutdown installed, which then fails the way argv[2] says (an uncaught
 * exception or an unhandled rejection) with a bearer token in the error's nested request headers. Its stop
 * prints "stopped" so the test sees that the graceful stop ran.
 */
import { createLogger } from "../../app/logger";
import { installShutdown } from "../../app/shutdown";

const log = createLogger({ level: "info" });
installShutdown({
  log,
  deadlineMs: 10_000,
  stop: async () => {
    await new Promise((r) => setTimeout(r, 50));
    process.stdout.write("stopped\n");
  },
});
const failure = Object.assign(new Error("connector call failed"), {
  request: { headers: { authorization: "Bearer child-secret-token-123", cookie: "session=child-cookie-456" } },
});
// Something keeps the process alive, as the server would.
setInterval(() => undefined, 1_000);
setTimeout(() => {
  if (process.argv[2] === "rejection") void Promise.reject(failure);
  else throw failure;
}, 50);
