// Prebuilt portability (see glibc_compat.h): GCC 12's containers call std::__throw_bad_array_new_length, which
// only libstdc++ 3.4.29 (GCC 11) and later export; defining it here keeps the binary loadable with the
// libstdc++ of older distributions (the oldest symbol version the binary then needs is GLIBCXX_3.4.22, GCC 6).
#include <new>

namespace std {
void __throw_bad_array_new_length() { throw std::bad_array_new_length(); }
}  // namespace std
