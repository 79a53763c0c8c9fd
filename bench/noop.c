/* noop: the exec floor of make bench: a static program that does
 * nothing, so its cost is the kernel's fork, exec and exit alone. */
int main(void)
{
	return 0;
}
