// `npm run bench`: every benchmark of the project, figures beside bare baselines measured in the same run.
import { benchCtf } from "./ctf.js";
import { benchPluginHost } from "./plugin-host.js";
import { benchTransfer } from "./transfer.js";

await benchPluginHost();
await benchCtf();
await benchTransfer();
