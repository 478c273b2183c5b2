/** Injection tokens for the values the server is built around (created once in main.ts). */
export const DB = Symbol('Db')
export const CATALOG = Symbol('Catalog')
export const CONFIG = Symbol('PlumbConfig')
