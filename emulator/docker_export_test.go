package emulator

// GiveBack is giveBack, for the tests of package emulator_test: the files
// in root become uid's and gid's.
func (d DockerExecutor) GiveBack(image, root string, uid, gid int, log func(string)) {
	d.giveBack(image, root, "0123456789abcdef0123456789abcdef", uid, gid, log)
}
