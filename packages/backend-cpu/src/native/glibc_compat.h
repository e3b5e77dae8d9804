// Keeps the prebuilt linux-x64 binary loadable on older distributions than the one it is built on (Debian 12,
// glibc 2.36, GCC 12): calls to pow bind to its GLIBC_2.2.5 version (not the GLIBC_2.29 one new links pick).
// Included first by every translation unit that calls libm.
#pragma once
#include <cmath>  // defines __GLIBC__

#if defined(__linux__) && defined(__x86_64__) && defined(__GLIBC__)
__asm__(".symver pow,pow@GLIBC_2.2.5");
#endif
