/* A C program linked against glibc (dynamically), which gostep must refuse
 * with exit status 126 and a hint about CGO_ENABLED=0. */
#include <stdio.h>

int main(void) {
  puts("hello from a dynamically linked program");
  return 0;
}
