package smconfig

import (
	"path/filepath"
	"strings"
)

// files are the default locations of the two config files.
type files struct{ user, admin string }

// defaultFiles returns where the Python SDK looks for config.yaml: the
// directories of platformdirs' user_config_dir("sagemaker") and
// site_config_dir("sagemaker"). A location that cannot be known (no home
// folder) is "".
func defaultFiles(goos string, env func(string) (string, bool), home string) files {
	get := func(name string) string {
		v, _ := env(name)
		return strings.TrimSpace(v)
	}
	if home == "" {
		if goos == "windows" {
			home = get("USERPROFILE")
		} else {
			home = get("HOME")
		}
	}
	under := func(base string, parts ...string) string {
		if base == "" {
			return ""
		}
		return filepath.Join(append([]string{base}, parts...)...)
	}
	if goos == "windows" {
		// platformdirs appends the app "author" (the app name again).
		local := get("LOCALAPPDATA")
		if local == "" {
			local = under(home, "AppData", "Local")
		}
		shared := get("PROGRAMDATA")
		if shared == "" {
			shared = `C:\ProgramData`
		}
		return files{
			user:  under(local, "sagemaker", "sagemaker", fileName),
			admin: under(shared, "sagemaker", "sagemaker", fileName),
		}
	}
	userBase, siteBase := under(home, ".config"), "/etc/xdg"
	if goos == "darwin" || goos == "ios" {
		userBase, siteBase = under(home, "Library", "Application Support"), "/Library/Application Support"
	}
	// XDG variables win on every Unix, macOS included (platformdirs 4).
	if x := get("XDG_CONFIG_HOME"); x != "" {
		userBase = x
	}
	for _, dir := range strings.Split(get("XDG_CONFIG_DIRS"), ":") {
		if dir = strings.TrimSpace(dir); dir != "" {
			siteBase = dir
			break
		}
	}
	return files{
		user:  under(userBase, "sagemaker", fileName),
		admin: under(siteBase, "sagemaker", fileName),
	}
}
