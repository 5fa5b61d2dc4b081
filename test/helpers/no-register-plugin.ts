// A module that is not a tsnas plugin: it exports no register function.
export const notAPlugin = true;
