#!/usr/bin/env node
// ecs-flat.js DIR: prints the ECS field definitions of the npm package
// @elastic/ecs installed under DIR (DIR/node_modules/@elastic/ecs) as one JSON
// object, {"version": "9.4.0", "fields": {"flat.name": {type, normalize,
// allowed_values, expected_values, ...}}}, for ecscheck.py to read.
'use strict';
const path = require('path');
const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: ecs-flat.js DIR\n');
  process.exit(2);
}
const pkg = path.join(path.resolve(dir), 'node_modules', '@elastic', 'ecs');
const version = require(path.join(pkg, 'package.json')).version;
const { EcsFlat } = require(path.join(pkg, 'generated', 'ecs_flat.js'));
const fields = {};
for (const [name, def] of Object.entries(EcsFlat)) {
  const { description, example, otel, dashed_name, ...rest } = def;
  if (Array.isArray(rest.allowed_values))
    rest.allowed_values = rest.allowed_values.map((v) => v.name);
  fields[name] = rest;
}
process.stdout.write(JSON.stringify({ version, fields }) + '\n');
