#!/usr/bin/python3
"""check-layers.py: every file of the library uses only its own layer and
the layers above it (README, "What is here").

Usage: check-layers.py LIBDIR

An include of a header of a later layer (a models/ file including
contexts/..., or prefectctx-settings-context.h by its bare name) is
reported, with the file and line, and fails the check.
"""
import os
import re
import sys

LAYERS = ['core', 'models', 'contexts', 'client', 'runtime', 'engine', 'views']
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def main():
    libdir = sys.argv[1]
    owner = {}
    for layer in LAYERS:
        for name in os.listdir(os.path.join(libdir, layer)):
            owner[name] = layer
    problems = []
    for layer in LAYERS:
        rank = LAYERS.index(layer)
        folder = os.path.join(libdir, layer)
        for name in sorted(os.listdir(folder)):
            if not name.endswith(('.c', '.h')):
                continue
            with open(os.path.join(folder, name), encoding='utf-8') as source:
                for number, line in enumerate(source, 1):
                    match = INCLUDE.match(line)
                    if match is None:
                        continue
                    target = match.group(1)
                    target_layer = target.split('/')[0] if '/' in target else owner.get(target)
                    if target_layer in LAYERS and LAYERS.index(target_layer) > rank:
                        problems.append('%s/%s:%d: layer %d (%s) includes %s, of layer %d (%s)' % (
                            layer, name, number, rank + 1, layer, target,
                            LAYERS.index(target_layer) + 1, target_layer))
    for problem in problems:
        print(problem)
    print('%d include(s) against the layers' % len(problems))
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
