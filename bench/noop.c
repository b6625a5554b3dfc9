/* The no-op program the hook adapter's spawn time is compared with: reads
 * its standard input to the end, like a hook must, and exits. */
#include <unistd.h>

int main(void)
{
    char buf[4096];
    while (read(0, buf, sizeof(buf)) > 0)
        ;
    return 0;
}
