// The same Promise.withResolvers polyfill local mode loads on Node 20 (one copy, in local/).
import '../../local/polyfills';
