package bootstrap

// Version is the build's version, set with -ldflags "-X taskrunner/bootstrap.Version=...".
var Version = "dev"
