// Preloaded into Microsoft 365 Agents Playground (npm run playground): it binds all interfaces and tries to
// reach telemetry and the Office CDN, so listen() without a host goes to 127.0.0.1 and every connection or
// DNS lookup that is not loopback is refused (with a log line). Rewind's own code never needs this.
const net = require("node:net");
const dns = require("node:dns");

const LOOPBACK = /^(127\.|localhost$|::1$|::ffff:127\.)/;

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (typeof args[0] === "number" || (typeof args[0] === "string" && /^\d+$/.test(args[0]))) {
    if (typeof args[1] !== "string") args.splice(1, 0, "127.0.0.1");
  } else if (args[0] && typeof args[0] === "object" && !args[0].path && !args[0].host) {
    args[0] = { ...args[0], host: "127.0.0.1" };
  } else if (args.length === 0 || typeof args[0] === "function") {
    args.unshift(0, "127.0.0.1");
  }
  return listen.apply(this, args);
};

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  const o = Array.isArray(args[0]) ? args[0][0] : args[0];
  const host = typeof o === "object" ? o.host : typeof args[1] === "string" ? args[1] : undefined;
  if (host && !LOOPBACK.test(host) && !(typeof o === "object" && o.path)) {
    process.stderr.write(`[egress-blocked] connect ${host}\n`);
    process.nextTick(() => this.destroy(Object.assign(new Error(`egress blocked: ${host}`), { code: "ECONNREFUSED" })));
    return this;
  }
  return connect.apply(this, args);
};

const lookup = dns.lookup;
dns.lookup = function (hostname, ...rest) {
  if (!LOOPBACK.test(hostname)) {
    process.stderr.write(`[egress-blocked] dns.lookup ${hostname}\n`);
    const cb = rest[rest.length - 1];
    process.nextTick(() => cb(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" })));
    return {};
  }
  return lookup.call(this, hostname, ...rest);
};
