#pragma once
// The one zlib routine the engine's sessions call (train/snapshot's CRC-32), for the
// WebAssembly build: Emscripten's zlib port is downloaded at build time, and there is no network
// here. The CRC of zlib (polynomial 0xEDB88320, reflected), tested against it by the static build's
// browser test through the snapshots both builds write.
#include <cstddef>

using Bytef = unsigned char;
using uInt = unsigned int;
using uLong = unsigned long;
#define Z_NULL nullptr

uLong crc32(uLong crc, const Bytef* bytes, uInt size);
