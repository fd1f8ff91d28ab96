// The cold-start baseline: a Node process that loads one ES module and does nothing.
