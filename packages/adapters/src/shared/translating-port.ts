/**
 * A port seen through an error translation: every method's throw or rejection goes through
 * `translate` on its way out. The PostgreSQL adapter runs queries from many modules; translating
 * at the ports, where the storage meets its callers, covers them all without touching each query.
 */

/** The same port, whose methods' failures are translated. Methods run on the port itself (`this` is the original). */
export function translatingPort<T extends object>(port: T, translate: (error: unknown) => unknown): T {
  const wrapped = new Map<PropertyKey, unknown>();
  const rethrow = (error: unknown): never => {
    throw translate(error);
  };
  return new Proxy(port, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      // Wrapped once per method, not per call: the ports are on every command's path.
      if (!wrapped.has(property)) {
        wrapped.set(property, (...args: unknown[]): unknown => {
          try {
            const result: unknown = Reflect.apply(value, target, args);
            return result instanceof Promise ? result.catch(rethrow) : result;
          } catch (error) {
            return rethrow(error);
          }
        });
      }
      return wrapped.get(property);
    },
  });
}
